"""tradecoop.registry"""
